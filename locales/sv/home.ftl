# Startsidan.

home-title = Start
home-heading = Välkommen till HUD
home-lead = Se i ett ögonkast vad webbsidor handlar om, sök i det de skrev och mycket mer.
home-open = Öppna
