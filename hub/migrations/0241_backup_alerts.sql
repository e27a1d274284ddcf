-- depends: 0240_backup_runs 0230_notifications
-- The backup alert in the notification inbox (hub.backup): system admins are told when a scheduled backup
-- fails, and when none has succeeded for CCES_BACKUP_ALERT_AFTER_H (once per that period).
INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('backup.alert', 'Cảnh báo sao lưu', 'Backup alert', true)
ON CONFLICT (code) DO NOTHING;
