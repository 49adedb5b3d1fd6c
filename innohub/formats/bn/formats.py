# Bangla groups digits by thousand, then by lakh and crore: 1,23,45,678.
NUMBER_GROUPING = (3, 2, 0)
