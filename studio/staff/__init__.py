"""What staff use in the admin: roles and the moderation workflow, sign-in lockouts, two-factor
sign-in (``two_factor``), dashboard panels, times in the studio's zone (``times``), and the
help on editor and image forms."""
