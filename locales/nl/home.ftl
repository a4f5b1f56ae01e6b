# The home page.

home-title = Home
home-heading = Welcome to HUD
home-lead = See at a glance what web pages talk about, search what they said, and more.
home-open = Open
