"""Read endpoints: members, employees, services (SPEC §7)."""
