from tests.privacy.anonymise_helpers import evidence_dir_fixture, manager_fixture, officer_fixture

__all__ = ["evidence_dir_fixture", "manager_fixture", "officer_fixture"]
