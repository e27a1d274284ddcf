"""Official documents (văn bản đi/đến, issue 15): registers, number series, numbers and symbols."""
