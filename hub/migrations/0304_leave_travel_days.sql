-- depends: 0303_leave_permits
-- Travel days (ngày đi đường) added to annual leave, Labour Code 2019 Art. 113(3) as DOMAIN.md §11.1
-- states it: "travel days beyond 2 (round trip, by road, rail or water) are added, once a year" —
-- wording [U], so it is data per leave type (hub.leave.travel) and declared per request.

ALTER TABLE leave_types
    ADD COLUMN travel_days_free      numeric(3, 1) CHECK (travel_days_free >= 0),  -- NULL: this type adds none
    ADD COLUMN travel_times_per_year integer NOT NULL DEFAULT 1 CHECK (travel_times_per_year BETWEEN 1 AND 12),
    ADD COLUMN travel_basis          text CHECK (char_length(travel_basis) <= 500);
UPDATE leave_types SET travel_days_free = 2, travel_times_per_year = 1,
       travel_basis = 'Bộ luật Lao động 2019, Điều 113 khoản 3 (ngày đi đường cả đi và về trên 02 ngày, bằng đường'
                      ' bộ, đường sắt, đường thủy: từ ngày thứ 03 được tính thêm, 01 lần nghỉ trong năm) [U]'
 WHERE code = 'annual';

ALTER TABLE leave_requests
    ADD COLUMN travel_days       numeric(3, 1) NOT NULL DEFAULT 0 CHECK (travel_days BETWEEN 0 AND 10),  -- declared, round trip
    ADD COLUMN travel_days_added numeric(3, 1) NOT NULL DEFAULT 0
        CHECK (travel_days_added >= 0 AND travel_days_added <= travel_days);  -- not charged to the balance
