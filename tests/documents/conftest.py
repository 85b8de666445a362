from tests.documents.helpers import letter_case_fixture, private_dir_fixture

__all__ = ["letter_case_fixture", "private_dir_fixture"]
