# When a class session starts: "Today 14:00", "Tue 9 Dec 14:00".

when-today = Today { $time }
when-tomorrow = Tomorrow { $time }
when-day = { $weekday } { $day } { $month } { $time }
when-day-year = { $weekday } { $day } { $month } { $year } { $time }
day-mon = Mon
day-tue = Tue
day-wed = Wed
day-thu = Thu
day-fri = Fri
day-sat = Sat
day-sun = Sun
month-jan = Jan
month-feb = Feb
month-mar = Mar
month-apr = Apr
month-may = May
month-jun = Jun
month-jul = Jul
month-aug = Aug
month-sep = Sep
month-oct = Oct
month-nov = Nov
month-dec = Dec
