-- Schema 13: the practice's working hours per weekday, shaded by the calendar. One JSON column
-- (`{"days":[{"start_minute":480,"end_minute":1080},…,null]}`, seven entries, Monday first,
-- null for a day off), so the setting merges between computers as one field; the default is
-- what every practice had before (Monday to Friday, 08:00–18:00).
ALTER TABLE practice ADD COLUMN working_hours TEXT NOT NULL DEFAULT '{"days":[{"start_minute":480,"end_minute":1080},{"start_minute":480,"end_minute":1080},{"start_minute":480,"end_minute":1080},{"start_minute":480,"end_minute":1080},{"start_minute":480,"end_minute":1080},null,null]}';
