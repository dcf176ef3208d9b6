"""Pure computation for the SKM: no Flask, no database, no clock."""
