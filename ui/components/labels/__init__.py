"""Human labels for the codes the hub stores: a page shows 'Đăng nhập sai', never `sign_in.failed`.

One module per family of codes (audit actions, telemetry keys, devices, commands, accounts); each
registers its texts in Vietnamese and English and offers `…_label(t, code)`. A code without a
label is shown as it is (so nothing is hidden), and tests/ui/test_labels.py fails for any code the
hub writes that has none.
"""
