module github.com/acme/goapp

go 1.22
