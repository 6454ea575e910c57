"""Files to frozen records: UTF-8 text, YAML with line numbers, typed fields, articles checked against
their captures, annotations anchored to exact passages, and the cross-checks between them. Every
problem carries its file and line. Nothing here knows of HTML pages or of what is cached."""
