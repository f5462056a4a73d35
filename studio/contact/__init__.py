"""The contact form: its page and stored messages (models), form, view, rate limit, email
delivery through a database outbox, admin, and commands. See docs/architecture.md."""
