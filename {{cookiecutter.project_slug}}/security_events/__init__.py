"""What happened to each user's account (logins, password and address changes, second factors), for them to see."""
