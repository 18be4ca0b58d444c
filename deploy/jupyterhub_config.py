"""JupyterHub for the course: PAM users, local servers, and the formgrader as a hub service.

Site settings come from DNNCOURSE_* environment variables (docs/deployment.md).
"""

import os
import sys
from pathlib import Path

from dnncourse import limits

HERE = Path(__file__).resolve().parent
env = os.environ.get

COURSE = env("DNNCOURSE_ID", "deep-nn")
GRADER = env("DNNCOURSE_GRADER", f"grader-{COURSE}")
INSTRUCTORS = [name for name in env("DNNCOURSE_INSTRUCTORS", "").split(",") if name]
COURSE_DIR = env("DNNCOURSE_COURSE_DIR", f"/home/{GRADER}/{COURSE}")
STATE = Path(env("DNNCOURSE_HUB_STATE", "/srv/jupyterhub"))
# The venv that runs the hub also runs everyone's server; it must be readable by all users.
BIN = Path(sys.executable).parent
STAFF_GROUP = f"formgrade-{COURSE}"
STUDENT_GROUP = f"nbgrader-{COURSE}"

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

c.JupyterHub.ip = env("DNNCOURSE_HUB_IP", "")
c.JupyterHub.port = int(env("DNNCOURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_port = int(env("DNNCOURSE_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('DNNCOURSE_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# Linux accounts log in with their password; no PAM session is needed for a notebook server.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
# Staff are allowed here; students are allowed once deploy/add-students created them.
c.Authenticator.allowed_users = {GRADER, *INSTRUCTORS}
c.Authenticator.allow_existing_users = True

# Each user's server runs as that user, from the shared venv, in their (0700) home.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# A deadline rush starts many servers at once on a busy machine; give them time.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
# Many students' kernels share the machine's cores: numpy's BLAS gets one thread per server
# (dnncourse/limits.py) unless DNNCOURSE_BLAS_THREADS says otherwise; a thread per core in
# every kernel makes training several times slower on a busy machine.
BLAS_THREADS = int(env("DNNCOURSE_BLAS_THREADS", str(limits.BLAS_THREADS)))
c.Spawner.environment = {
    "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
    "DNNCOURSE_EXCHANGE": env("DNNCOURSE_EXCHANGE", "/srv/nbgrader/exchange"),
    **limits.blas_environment(BLAS_THREADS),
}
# nbgrader's JupyterHubAuthPlugin reads the user's groups with the server's own token to
# decide which courses a student may fetch from and submit to.
c.Spawner.server_token_scopes = [
    "users:activity!user", "access:servers!server", "read:users:groups!user",
]


def instructor_tools(spawner):
    """Give formgrade-<course> members the instructor extensions students do not get."""
    if any(group.name == STAFF_GROUP for group in spawner.user.groups):
        spawner.environment = {**spawner.environment,
                               "JUPYTER_CONFIG_PATH": str(HERE / "instructor")}


c.Spawner.pre_spawn_hook = instructor_tools

# The formgrader of the course is a hub service named after the course, run by the grader
# account in the course directory: everyone in formgrade-<course> shares it.
SERVICE_PORT = int(env("DNNCOURSE_SERVICE_PORT", "9999"))
service_environment = {
    **c.Spawner.environment,
    "JUPYTER_CONFIG_PATH": str(HERE / "instructor"),
    "JUPYTERHUB_DEFAULT_URL": "/lab",
}
if env("DNNCOURSE_DB_URL"):
    service_environment["DNNCOURSE_DB_URL"] = env("DNNCOURSE_DB_URL")
c.JupyterHub.services = [{
    "name": COURSE,
    "url": f"http://127.0.0.1:{SERVICE_PORT}",
    "command": [str(BIN / "jupyterhub-singleuser"), f"--port={SERVICE_PORT}"],
    "user": GRADER,
    "cwd": COURSE_DIR,
    "environment": service_environment,
    "oauth_no_confirm": True,
}]

c.JupyterHub.load_groups = {
    STAFF_GROUP: {"users": [GRADER, *INSTRUCTORS]},
    STUDENT_GROUP: {"users": []},
}
# Roles, not the old whitelist and api_tokens settings: who may open the formgrader, who may
# enrol students (deploy/add-students), and what the course service may read and change.
c.JupyterHub.load_roles = [
    {
        "name": STAFF_GROUP,
        "groups": [STAFF_GROUP],
        "scopes": [
            f"access:services!service={COURSE}",
            # Create student accounts on the hub and put them in the course's student group;
            # admin:users cannot make anyone an admin.
            "admin:users",
            f"groups!group={STUDENT_GROUP}",
            "list:users",
        ],
    },
    {
        "name": f"{COURSE}-service",
        "services": [COURSE],
        "scopes": ["list:users", "read:users", "read:groups", f"groups!group={STUDENT_GROUP}"],
    },
]
