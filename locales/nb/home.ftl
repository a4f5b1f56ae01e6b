# Forsiden.

home-title = Hjem
home-heading = Velkommen til HUD
home-lead = Se med ett blikk hva nettsider handler om, søk i det de skrev, og mye mer.
home-open = Åpne
