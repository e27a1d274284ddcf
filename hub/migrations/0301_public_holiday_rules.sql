-- depends: 0300_leave
-- Public holidays as data (§0.3 of the domain notes): each rule with its legal basis, how sure it is,
-- and its validity dates, so a new holiday (Ngày Văn hóa Việt Nam, 24/11 from 2026) is a row, not code.
-- hub.timekeeping.calendar.HolidayRule reads these; DEFAULT_RULES there is the same list.
CREATE TABLE public_holiday_rules (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
    name        text NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 200),
    kind        text NOT NULL CHECK (kind ~ '^(solar|lunar|tet|national_day_adjacent)$'),
    month       integer NOT NULL DEFAULT 1 CHECK (month BETWEEN 1 AND 12),
    day         integer NOT NULL DEFAULT 1 CHECK (day BETWEEN -10 AND 31),  -- tet: days from mùng 1
    days        integer NOT NULL DEFAULT 1 CHECK (days BETWEEN 1 AND 10),
    substitute  boolean NOT NULL DEFAULT true,  -- art. 111(3): nghỉ bù when it falls on the weekly rest day
    legal_basis text NOT NULL CHECK (char_length(legal_basis) <= 500),
    certainty   text NOT NULL DEFAULT 'S' CHECK (certainty ~ '^[TSU]$'),
    valid_from  date NOT NULL DEFAULT '1901-01-01',
    valid_to    date,
    updated_by  text NOT NULL DEFAULT 'migration',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

INSERT INTO public_holiday_rules (code, name, kind, month, day, days, legal_basis, certainty, valid_from) VALUES
 ('new_year', 'Tết Dương lịch', 'solar', 1, 1, 1, 'BLLĐ 2019, Điều 112 khoản 1 điểm a', 'T', '1901-01-01'),
 ('tet', 'Tết Âm lịch', 'tet', 1, -1, 5, 'BLLĐ 2019, Điều 112 khoản 1 điểm b', 'T', '1901-01-01'),
 ('hung_kings', 'Giỗ Tổ Hùng Vương', 'lunar', 3, 10, 1, 'BLLĐ 2019, Điều 112 khoản 1 điểm đ', 'T', '1901-01-01'),
 ('victory_day', 'Ngày Chiến thắng', 'solar', 4, 30, 1, 'BLLĐ 2019, Điều 112 khoản 1 điểm c', 'T', '1901-01-01'),
 ('labour_day', 'Ngày Quốc tế Lao động', 'solar', 5, 1, 1, 'BLLĐ 2019, Điều 112 khoản 1 điểm d', 'T', '1901-01-01'),
 ('national_day', 'Quốc khánh', 'solar', 9, 2, 1, 'BLLĐ 2019, Điều 112 khoản 1 điểm đ', 'T', '1901-01-01'),
 ('national_day_adjacent', 'Quốc khánh (ngày liền kề)', 'national_day_adjacent', 9, 2, 1,
  'BLLĐ 2019, Điều 112 khoản 1 điểm đ (01 ngày liền kề trước hoặc sau)', 'T', '1901-01-01'),
 ('culture_day', 'Ngày Văn hóa Việt Nam', 'solar', 11, 24, 1,
  'Nghị quyết 80-NQ/TW; 24/11 là ngày nghỉ hưởng lương từ năm 2026 [S]', 'S', '2026-01-01');

-- a changed rule changes every day's timekeeping (migration 0060's counters)
CREATE TRIGGER public_holiday_rules_tk_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public_holiday_rules
    FOR EACH STATEMENT EXECUTE FUNCTION cces_tk_everything_changed();
