#!/usr/bin/env python3
"""Writes chat.db with an older release, over real TCP: the release before the V2 schema (commit
220e896) for upgrade/v1, the release before V4 (commit 574879b) for upgrade/v3.

Usage: java -Dchat.auth.pbkdf2-iterations=1000 -jar chat-server.jar --data-dir DIR --port 23456 &
       python3 make-fixture.py 23456 > tokens.txt ; then stop the node and keep DIR/chat.db.
"""
import json, socket, sys, time

PORT = int(sys.argv[1])

class Conn:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", PORT))
        self.f = self.s.makefile("rw", encoding="utf-8", newline="\n")
    def send(self, **frame):
        self.f.write(json.dumps(frame) + "\n"); self.f.flush()
    def expect(self, type_):
        while True:
            frame = json.loads(self.f.readline())
            if frame["type"] == type_:
                return frame
    def close(self):
        self.s.close()

def login(user, version=2):
    c = Conn()
    c.send(type="login", username=user, password="secret-pw-" + user, version=version)
    r = c.expect("login_response")
    assert r["status"] == "success", r
    if version == 2:
        c.expect("replay_done")
    return c, r.get("token")

for u in ["alice", "bob", "carol", "dave"]:
    c = Conn(); c.send(type="register", username=u, password="secret-pw-" + u, version=2)
    r = c.expect("register_response"); assert r["status"] == "success", r; c.close()

# dave takes a level 2 token and leaves without logout: the token stays valid
dave, token = login("dave")
dave.close()

# alice, offline afterwards, sends bob three messages (level 2, with ids)
alice, _ = login("alice")
ids = []
for n, text in [(1, "one"), (2, "two"), (3, "three")]:
    alice.send(type="message", id="a-%d" % n, receiver="bob", content=text)
    ids.append(alice.expect("message_ack")["msg_id"])
alice.send(type="logout"); alice.close()

# bob gets them, acks the first two, reads the first: alice is offline, so both receipts wait for her
bob, _ = login("bob")
bob.send(type="ack", msg_ids=ids[:2])
bob.send(type="read", peer="alice", up_to=ids[0])
bob.send(type="history", peer="alice")  # a round trip: the ack and read are committed before the logout
h = bob.expect("history_response")
bob.send(type="logout"); bob.close()

# carol writes to bob (pending), lists dave, lists then removes alice
carol, _ = login("carol")
carol.send(type="message", id="c-1", receiver="bob", content="from carol")
carol.expect("message_ack")
carol.send(type="add_contact", username="dave"); carol.expect("contacts")
carol.send(type="add_contact", username="alice"); carol.expect("contacts")
carol.send(type="remove_contact", username="alice"); carol.expect("contacts")
carol.send(type="logout"); carol.close()

# dave on level 1 writes to carol (no id, pending)
dave, _ = login("dave", version=1)
dave.send(type="message", receiver="carol", content="hi carol, level 1")
time.sleep(1)  # level 1 has no ack; the script is not a test, the check is the pending row in the fixture
dave.close()
print(json.dumps({"dave_token": token, "alice_to_bob": ids,
                  "history_status": [m["status"] for m in h["messages"]]}))
