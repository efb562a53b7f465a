# When a class session starts: "Today 14:00", "Tue 9 Dec 14:00".

when-today = Сьогодні { $time }
when-tomorrow = Завтра { $time }
when-day = { $weekday } { $day } { $month } { $time }
when-day-year = { $weekday } { $day } { $month } { $year } { $time }
day-mon = пн
day-tue = вт
day-wed = ср
day-thu = чт
day-fri = пт
day-sat = сб
day-sun = нд
month-jan = січ.
month-feb = лют.
month-mar = бер.
month-apr = квіт.
month-may = трав.
month-jun = черв.
month-jul = лип.
month-aug = серп.
month-sep = вер.
month-oct = жовт.
month-nov = лист.
month-dec = груд.
