"""The anonymisation engine (issue 19, ADR 0017): the field map (`fields`), the per-case step (`engine`) and the
extension point for apps above privacy (`steps.ANONYMISATION_STEPS`). Services call `services.anonymise`."""
