"""People and organisation (nhân sự, đơn vị): the org-unit tree, employees and their FaceID person ids."""
