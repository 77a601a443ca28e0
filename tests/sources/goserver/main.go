// A small Go program for heapflame's URL tests: it serves net/http/pprof on
// 127.0.0.1 (a free port, written to the file given by -portfile; with
// -tlsportfile also https with a throwaway certificate), keeps allocating
// and burning CPU so heap and CPU profiles have stacks, and exits by itself
// after -lifetime.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sort"
	"time"
)

var kept [][]byte

func allocate(n int) {
	for i := 0; i < n; i++ {
		b := make([]byte, 512+i%4096)
		if i%16 == 0 {
			kept = append(kept, b)
		}
	}
	if len(kept) > 20000 {
		kept = kept[len(kept)/2:]
	}
}

func burn() {
	data := make([]byte, 1<<16)
	for {
		sum := sha256.Sum256(data)
		data[0] = sum[0]
		xs := make([]int, 1000)
		for i := range xs {
			xs[i] = (i * 7919) % 1000
		}
		sort.Ints(xs)
		allocate(100)
	}
}

// selfSigned makes a throwaway certificate for 127.0.0.1, so the https
// path is tested (and refused without https+insecure).
func selfSigned() tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "heapflame test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// writePort publishes the listener's port atomically (write, then rename).
func writePort(path string, ln net.Listener) {
	port := ln.Addr().(*net.TCPAddr).Port
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(fmt.Sprintf("%d\n", port)), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		log.Fatal(err)
	}
}

func main() {
	portfile := flag.String("portfile", "", "write the listening port here")
	tlsportfile := flag.String("tlsportfile", "", "also serve https; write its port here")
	lifetime := flag.Duration("lifetime", 60*time.Second, "exit after this long")
	flag.Parse()
	runtime.MemProfileRate = 4096

	http.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(10 * time.Second)
		fmt.Fprintln(w, "late")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go burn()
	go func() {
		time.Sleep(*lifetime)
		os.Exit(0)
	}()
	if *tlsportfile != "" {
		cfg := &tls.Config{Certificates: []tls.Certificate{selfSigned()}}
		tln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
		if err != nil {
			log.Fatal(err)
		}
		go func() { log.Fatal(http.Serve(tln, nil)) }()
		writePort(*tlsportfile, tln)
	}
	writePort(*portfile, ln)
	log.Fatal(http.Serve(ln, nil))
}
