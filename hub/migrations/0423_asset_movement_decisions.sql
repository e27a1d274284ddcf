-- The requester of an asset movement hears its decision (issue 16 item 7): approved or rejected, with the
-- approver's note, in the inbox (and by mail unless they turned it off).
INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('assets.movement_decision', 'Kết quả duyệt đề nghị điều chuyển, sửa chữa, cho mượn, thanh lý tài sản',
     'Decision on an asset movement request', true)
ON CONFLICT (code) DO NOTHING;
