"""Information sharing with partner agencies: notifications addressed to one organisation each,
and the partner's acknowledgement of them."""
