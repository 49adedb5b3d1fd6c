"""Number and date formats where Django's own leave something out (FORMAT_MODULE_PATH);
everything not set here comes from Django's locale formats."""
