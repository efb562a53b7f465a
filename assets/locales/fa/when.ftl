# When a class session starts: "Today 14:00", "Tue 9 Dec 14:00".

when-today = امروز { $time }
when-tomorrow = فردا { $time }
when-day = { $weekday } { $day } { $month } { $time }
when-day-year = { $weekday } { $day } { $month } { $year } { $time }
day-mon = دوشنبه
day-tue = سه‌شنبه
day-wed = چهارشنبه
day-thu = پنجشنبه
day-fri = جمعه
day-sat = شنبه
day-sun = یکشنبه
month-jan = ژانویه
month-feb = فوریه
month-mar = مارس
month-apr = آوریل
month-may = مه
month-jun = ژوئن
month-jul = ژوئیه
month-aug = اوت
month-sep = سپتامبر
month-oct = اکتبر
month-nov = نوامبر
month-dec = دسامبر
