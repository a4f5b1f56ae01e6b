#!/usr/bin/env python3
"""The end-to-end captcha attack a spammer would script: through HUD's signup form, as a bot.

Usage: captcha_attack.py BASE_URL ATTEMPTS READER   (READER: ddddocr, ddddocr-beta, tesseract,
or oracle — the harness check: it takes the answer of the newest issued token from PostgreSQL
(DATABASE_URL) and must pass every time, proving a failure above is the captcha's doing)

Each attempt opens the signup page in a fresh session (cookies), takes the CSRF token, the
captcha token, the prompt and the picture, reads the picture with READER, types what the prompt
asks of that read — the rule of each built-in prompt, known to the attacker from the page; for a
prompt about a part of the picture the best a text reader can do is the whole read — and submits
the form with a fresh username. A pass is a 303 (account made). Prints one line of figures.
"""
import html
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "correct horse battery staple"
WHITELIST = "ACDEFGHJKLMNPRTUVWXYabdefhkmnrty23456789"


def letters(s):
    return "".join(c for c in s if c.isalpha())


def digits(s):
    return "".join(c for c in s if c.isdigit())


# English built-in prompts (locales/en/captcha.ftl) → what to type given the read.
RULES = {
    "Type the characters in the picture.": lambda r: r,
    "Type only the digits in the picture.": digits,
    "Type only the letters in the picture.": letters,
    "Type the last four letters in the picture, in reverse order.": lambda r: letters(r)[-4:][::-1],
    "Type the blue letters in reverse order.": lambda r: letters(r)[::-1],
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def oracle(_png):
    """The right answer of the newest token (the bot is the only visitor), from the database."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from captcha_ocr import ATTACKS

    row = subprocess.run(
        [os.environ.get("PSQL", "psql"), os.environ["DATABASE_URL"], "-AtF", "\t", "-c",
         "SELECT i.text, array_to_string(i.marks, ','), c.builtin FROM captcha_tokens t"
         " JOIN captcha_images i ON i.id = t.image_id"
         " JOIN captcha_challenges c ON c.id = t.challenge_id ORDER BY t.expires_at DESC LIMIT 1"],
        capture_output=True, text=True, check=True,
    ).stdout.strip().split("\t")
    text, marks, builtin = row[0], [int(m) for m in row[1].split(",")], row[2]
    expect, _ = ATTACKS[builtin.removeprefix("captcha-prompt-")]
    return ORACLE, expect(text, marks)


ORACLE = object()


def reader(name):
    if name == "oracle":
        return oracle
    if name.startswith("ddddocr"):
        import ddddocr

        ocr = ddddocr.DdddOcr(show_ad=False, beta=name.endswith("beta"))
        return lambda png: "".join(ocr.classification(png).split())

    def tesseract(png):
        with tempfile.NamedTemporaryFile(suffix=".png") as f:
            f.write(png)
            f.flush()
            out = subprocess.run(
                ["tesseract", f.name, "stdout", "--psm", "7", "-c",
                 f"tessedit_char_whitelist={WHITELIST}"],
                capture_output=True, text=True, check=False,
            ).stdout
        return "".join(out.split())

    return tesseract


def field(page, name):
    m = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page)
    return html.unescape(m.group(1)) if m else None


def attempt(base, read, n):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(f"{base}/accounts/signup").read().decode()
    csrf, token = field(page, "csrf_token"), field(page, "captcha_token")
    prompt = html.unescape(re.search(r"data-captcha-prompt[^>]*>([^<]*)<", page).group(1)).strip()
    image = re.search(r'src="([^"]*/captcha/image/[^"]*)"', page).group(1)
    png = opener.open(urllib.parse.urljoin(base + "/", image)).read()
    read_out = read(png)
    if isinstance(read_out, tuple) and read_out[0] is ORACLE:
        guess = read_out[1]
    else:
        guess = RULES.get(prompt, lambda r: r)(read_out)
    name = f"bot{os.getpid()}x{n}"
    form = urllib.parse.urlencode({
        "csrf_token": csrf, "captcha_token": token, "captcha_answer": guess or "x",
        "username": name, "email": f"{name}@example.org",
        "password": PASSWORD, "password2": PASSWORD,
    }).encode()
    try:
        status = opener.open(f"{base}/accounts/signup", form).status
    except urllib.error.HTTPError as e:
        # Redirects are not followed, so the 303 of an accepted form arrives here too. A refusal
        # counts as the captcha's only when the form says the answer was wrong (so a broken bot —
        # a stale CSRF token, a bad field — shows up as "other", not as a defence).
        if e.code == 303 or 'id="captcha-error"' in e.read().decode():
            status = e.code
        else:
            status = -e.code
    return prompt, status


def main():
    base, attempts, name = sys.argv[1].rstrip("/"), int(sys.argv[2]), sys.argv[3]
    read = reader(name)
    passed, by_prompt, other = 0, {}, 0
    for n in range(attempts):
        prompt, status = attempt(base, read, n)
        seen = by_prompt.setdefault(prompt, [0, 0])
        seen[0] += 1
        if status == 303:
            passed += 1
            seen[1] += 1
        elif status != 422:
            other += 1
    detail = "; ".join(f"{p!r} {v[1]}/{v[0]}" for p, v in sorted(by_prompt.items()))
    print(f"| {name} | {attempts} | {passed} | {100.0 * passed / attempts:.1f} % | {other} | {detail} |")


if __name__ == "__main__":
    main()
