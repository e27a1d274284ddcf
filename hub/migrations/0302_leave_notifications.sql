-- depends: 0300_leave 0230_notifications
-- The leave module's notification categories (hub.leave.notify): a request to decide, and a decision.
INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('leave.to_decide', 'Đơn nghỉ chờ tôi duyệt', 'Leave requests waiting for my decision', true),
    ('leave.decided', 'Kết quả đơn nghỉ của tôi', 'Decisions on my leave requests', true)
ON CONFLICT (code) DO NOTHING;
