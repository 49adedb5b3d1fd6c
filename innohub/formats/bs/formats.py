# Bosnian groups digits by thousand: 1.234.567,89.
NUMBER_GROUPING = 3
