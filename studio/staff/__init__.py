"""What staff use in the admin: roles and the moderation workflow, sign-in lockouts, dashboard
panels, and the help on editor and image forms."""
