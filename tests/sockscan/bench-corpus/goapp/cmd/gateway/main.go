package main

import (
	"context"
	"crypto/tls"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/acme/goapp/internal/store"
	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

const (
	grpcPort   = 9090
	billingURL = "https://billing.acme.io/api"
)

var (
	addr   = flag.String("addr", "localhost:8080", "listen address")
	client = &http.Client{Timeout: 5 * time.Second}
)

type cfg struct {
	Host string
	Port int
}

func main() {
	flag.Parse()
	mux := http.NewServeMux()
	srv := &http.Server{Addr: ":8443", Handler: mux}
	go func() {
		log.Fatal(srv.ListenAndServeTLS("cert.pem", "key.pem")) // want: ingress tcp * 8443
	}()
	go http.ListenAndServe(*addr, mux) // want: ingress tcp localhost 8080

	lis, err := net.Listen("tcp", ":"+strconv.Itoa(grpcPort)) // want: ingress tcp * 9090
	if err != nil {
		log.Fatal(err)
	}
	s := grpc.NewServer()
	go s.Serve(lis) // want: ingress tcp * 9090

	e := echo.New()
	go e.Logger.Fatal(e.Start(":1323")) // want: ingress tcp * 1323

	router := gin.Default()
	go router.Run(":" + os.Getenv("PORT")) // want: ingress tcp ? ?

	ln, _ := tls.Listen("tcp", ":8444", &tls.Config{}) // want: ingress tcp * 8444
	_ = ln
	sock, _ := net.Listen("unix", "/tmp/gateway.sock") // want: ingress unix /tmp/gateway.sock ?
	_ = sock

	c := cfg{Host: "upstream.acme.io", Port: 7000}
	net.DialTimeout("tcp", fmt.Sprintf("%s:%d", c.Host, c.Port), 5*time.Second) // want: egress tcp ? ?

	ctx := context.Background()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, billingURL+"/invoices", nil)
	http.DefaultClient.Do(req) // want: egress tcp billing.acme.io 443
	client.Get("https://status.acme.io/health") // want: egress tcp status.acme.io 443

	conn, _ := grpc.NewClient(store.UsersAddr, grpc.WithTransportCredentials(insecure.NewCredentials())) // want: egress tcp users.acme.internal 50051
	_ = conn

	db, _ := sql.Open("postgres", os.Getenv("DATABASE_URL")) // want: egress tcp ? ?
	_ = db
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")}) // want: egress tcp ? ?
	_ = rdb

	d := net.Dialer{Timeout: time.Second}
	d.DialContext(ctx, "udp", "8.8.8.8:53") // want: egress udp 8.8.8.8 53

	store.Open()
	g := &gateway{}
	g.serve()
}

type gateway struct {
	httpServer *http.Server
	upstream   *http.Client
}

func (g *gateway) serve() {
	g.httpServer = &http.Server{Addr: ":9000"}
	g.httpServer.ListenAndServe() // want: ingress tcp * 9000
	r, _ := http.NewRequest("GET", "http://inventory.acme.internal:8081/stock", nil)
	g.upstream.Do(r) // want: egress tcp inventory.acme.internal 8081
}
