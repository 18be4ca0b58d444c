"""nbgrader settings for every user of the hub: the course, its exchange, and group-based access.

Install it as /etc/jupyter/nbgrader_config.py or <venv>/etc/jupyter/nbgrader_config.py.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = os.environ.get("DNNCOURSE_ID", "deep-nn")
# nbgrader insists on a world-writable exchange root: make it root-owned with the sticky bit.
c.Exchange.root = os.environ.get("DNNCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
# A student sees the courses of their nbgrader-<course> and formgrade-<course> hub groups.
c.Authenticator.plugin_class = JupyterHubAuthPlugin
