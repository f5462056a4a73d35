"""The class timetable: weekly classes staff keep in the admin, their dates (recurrence), the
/schedule/ pages and the iCalendar feeds visitors subscribe to."""
