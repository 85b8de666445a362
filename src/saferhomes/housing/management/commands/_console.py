"""Transitional (issue 12): moved to `saferhomes.core.console`; cases' bench and risk's instruments commands still
import it from here. Delete this file once they import `saferhomes.core.console`."""

from saferhomes.core.console import console_for as console_for
from saferhomes.core.console import progress_bar as progress_bar
