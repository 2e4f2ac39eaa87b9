"""aiosmtpd's Mailbox handler, refusing for good (550, as a real server does for an unknown user) every recipient
whose address starts with 'unknown'. The test SMTP server runs with it: python3 -m aiosmtpd -c rejecting_mailbox.RejectingMailbox DIR"""
from aiosmtpd.handlers import Mailbox


class RejectingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("unknown"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        envelope.rcpt_tos.append(address)
        return "250 OK"
