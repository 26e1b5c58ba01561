import socket
# None.format() once crashed the extractor
socket.create_connection((None.format(1), 80))
"{0.host}:{1[0]}{".format(a, b)
"{}%{}".format(1)
