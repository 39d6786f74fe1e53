"""The Python peer of bench/campaign.sh: what the original system's scripts do, a loop over
the recipients with smtplib, each message built with the email package (text and HTML, the
recipient's own HMAC-signed unsubscribe link), over C connections (threads), no bookkeeping.

    python3 campaign_peer.py HOST PORT RECIPIENTS.txt BODY.txt BODY.html CONNECTIONS
"""

import hashlib
import hmac
import smtplib
import sys
import threading
import time
from email.message import EmailMessage

host, port, rcpt_file, text_file, html_file, connections = sys.argv[1:7]
recipients = open(rcpt_file, encoding="utf-8").read().split()
text = open(text_file, encoding="utf-8").read()
html = open(html_file, encoding="utf-8").read()
secret = b"0123456789abcdef0123456789abcdef"


def worker(part):
    smtp = smtplib.SMTP(host, int(port))
    for i, rcpt in part:
        token = hmac.new(secret, f"{i}.u".encode(), hashlib.sha256).hexdigest()
        link = f"https://weekly.example.org/unsubscribe?token={i}.u.{token}"
        msg = EmailMessage()
        msg["From"] = "Weekly <weekly@example.org>"
        msg["To"] = rcpt
        msg["Subject"] = "Python 潮流周刊 第 7 期"
        msg["List-Unsubscribe"] = f"<{link}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        msg.set_content(text.replace("UNSUBSCRIBE", link))
        msg.add_alternative(html.replace("UNSUBSCRIBE", link), subtype="html")
        smtp.send_message(msg)
    smtp.quit()


n = int(connections)
parts = [[] for _ in range(n)]
for i, rcpt in enumerate(recipients):
    parts[i % n].append((i, rcpt))
start = time.monotonic()
threads = [threading.Thread(target=worker, args=(p,)) for p in parts]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - start
print(f"{len(recipients)} {elapsed:.3f}")
