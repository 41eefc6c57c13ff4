"""The member portal (issue 18): its four answers, documents, notifications, people."""
