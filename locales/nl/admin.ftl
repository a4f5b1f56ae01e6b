# Het beheergedeelte.

admin-title = Beheer
