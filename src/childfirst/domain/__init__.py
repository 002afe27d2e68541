"""The child-centred safeguarding record: people, objects, locations and events (POLE)."""
