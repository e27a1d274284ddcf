-- Asset movements waiting for approval are announced to those who may approve them (issue 16 item 7):
-- a notification category of its own (inbox, bell; mail by default, each person may turn it off).
INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('assets.movement_request', 'Đề nghị điều chuyển, sửa chữa, cho mượn, thanh lý tài sản chờ duyệt',
     'Asset movement waiting for approval', true)
ON CONFLICT (code) DO NOTHING;
