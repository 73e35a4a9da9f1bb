/bin/true -c /bin/true
