"""The roles of DESIGN.md section 1. Each role is a Django group of this name."""

from django.utils.translation import gettext_lazy as _

TRAINING_OFFICE = "training_office"
SCHOOL_BOARD = "school_board"
LECTURER = "lecturer"
LOCALITY_COORDINATOR = "locality_coordinator"
SENDING_AGENCY = "sending_agency"
STUDENT = "student"
EDITOR = "editor"

ROLE_LABELS = {
    TRAINING_OFFICE: _("Training office"),
    SCHOOL_BOARD: _("School board"),
    LECTURER: _("Lecturer"),
    LOCALITY_COORDINATOR: _("Locality coordinator"),
    SENDING_AGENCY: _("Sending agency"),
    STUDENT: _("Student"),
    EDITOR: _("Editor"),
}

# Roles whose members see every record of the school (subject to issue 7's finer rules).
SCHOOL_WIDE_ROLES = frozenset({TRAINING_OFFICE, SCHOOL_BOARD})
# Roles scoped to a unit and everything below it.
UNIT_SCOPED_ROLES = frozenset({LOCALITY_COORDINATOR})
# Roles that see the records of their own agency's staff (the agency and units below it).
AGENCY_ROLES = frozenset({SENDING_AGENCY})
# Roles that may use the staff pages (reports, class lists, student search).
STAFF_ROLES = SCHOOL_WIDE_ROLES | UNIT_SCOPED_ROLES | AGENCY_ROLES
