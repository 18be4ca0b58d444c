"""A learning management system in and out, through nbgrader's plugins: LMS archives into
submitted/ (zip_collect), grades out for Canvas (export), feedback back (bundles)."""
