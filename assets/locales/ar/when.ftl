# When a class session starts: "Today 14:00", "Tue 9 Dec 14:00".

when-today = اليوم { $time }
when-tomorrow = غدًا { $time }
when-day = { $weekday } { $day } { $month } { $time }
when-day-year = { $weekday } { $day } { $month } { $year } { $time }
day-mon = الإثنين
day-tue = الثلاثاء
day-wed = الأربعاء
day-thu = الخميس
day-fri = الجمعة
day-sat = السبت
day-sun = الأحد
month-jan = يناير
month-feb = فبراير
month-mar = مارس
month-apr = أبريل
month-may = مايو
month-jun = يونيو
month-jul = يوليو
month-aug = أغسطس
month-sep = سبتمبر
month-oct = أكتوبر
month-nov = نوفمبر
month-dec = ديسمبر
