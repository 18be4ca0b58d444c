"""The grading job takes its gradebook URL from the course's nbgrader_config.py
(Course.gradebook_url)."""

from conftest import copy_course

from dnncourse.course import Course


def test_default_is_the_sqlite_gradebook_of_the_course_root(tmp_path, monkeypatch):
    monkeypatch.delenv("DNNCOURSE_DB_URL", raising=False)
    course = copy_course(tmp_path / "course", items=("nbgrader_config.py",), examples=False)
    url = Course(course).gradebook_url
    expected = f"sqlite:///{course.resolve() / 'gradebook.db'}?timeout=60"
    assert url == expected, f"expected {expected}, got {url}"


def test_environment_names_the_postgresql_gradebook(tmp_path, monkeypatch):
    wanted = "postgresql+psycopg2://grader@127.0.0.1:5432/deep_nn"
    monkeypatch.setenv("DNNCOURSE_DB_URL", wanted)
    course = copy_course(tmp_path / "course", items=("nbgrader_config.py",), examples=False)
    url = Course(course).gradebook_url
    assert url == wanted, f"expected {wanted}, got {url}"


def test_a_url_set_in_the_course_config_wins_over_nbgraders_default(tmp_path, monkeypatch):
    monkeypatch.delenv("DNNCOURSE_DB_URL", raising=False)
    course = copy_course(tmp_path / "course", items=("nbgrader_config.py",), examples=False)
    wanted = "postgresql+psycopg2://grader@/deep_nn?host=/var/run/postgresql"
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.CourseDirectory.db_url = {wanted!r}\n")
    url = Course(course).gradebook_url
    assert url == wanted, f"expected {wanted}, got {url}"
