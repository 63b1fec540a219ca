"""Stories from the floor: moderation checks, publishing rules and safe rendering."""
