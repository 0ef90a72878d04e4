"""The `casebook` command: check, new, from-issue, schema, fields, github-forms, settings, init."""
