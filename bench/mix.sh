# Shared by bench/load.sh and bench/ab.sh (sourced): the page mix and the CPU counter.

# `write_mix OUT PORT SESSION`: the wrk script of the page mix against the instance on PORT —
# anonymous pages in several languages, the uncached admin page (with SESSION's cookie), the
# API document, a static file (by the name that instance gives it) and the health check, in
# proportions of a browsing session.
write_mix() {
    local out=$1 port=$2 session=$3 css
    css=$(curl -s "http://127.0.0.1:$port/" | sed -n 's/.*href="\(\/static\/css\/app[^"]*\)".*/\1/p' | head -1)
    cat >"$out" <<LUA
local paths = { "/", "/", "/", "/nl/", "/fr/", "/sv/", "/nb/", "$css", "/healthz", "/api/openapi.json" }
local counter = 0
request = function()
  counter = counter + 1
  if counter % 10 == 0 then
    return wrk.format("GET", "/admin/users", { ["Cookie"] = "hud_session=$session" })
  end
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
LUA
}

# CPU time (user + system, in clock ticks) the process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
