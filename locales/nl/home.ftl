# De startpagina.

home-title = Start
home-heading = Welkom bij HUD
home-lead = Zie in één oogopslag waar webpagina's over gaan, doorzoek wat ze schreven, en meer.
home-open = Openen
