-- A practice's diary version: moved on, in the same transaction, by every change to what a
-- free-slot search of the practice can return (slots, schedules, locations, practitioners,
-- organisations, bookings, cancellations). The provider caches search answers by it.
ALTER TABLE practice ADD COLUMN diary_version INTEGER NOT NULL DEFAULT 0;
