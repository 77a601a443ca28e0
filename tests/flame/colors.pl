#!/usr/bin/perl
# colors.pl PALETTE HASH SVG: every frame's fill must be the colour
# flamegraph.pl's color() gives its name. This is a re-implementation of
# that sub written for this test, using Perl's own srand/rand (the
# generator flamegraph.pl relies on) seeded with the code-point sum.
use strict;
use warnings;

my ($palette, $hash, $svg) = @ARGV;

sub namehash {
    my $name = shift;
    my ($vector, $weight, $max, $mod) = (0, 1, 1, 10);
    $name =~ s/.(.*?)`//;
    foreach my $c (split //, $name) {
        my $i = (ord $c) % $mod;
        $vector += ($i / ($mod++ - 1)) * $weight;
        $max += $weight;
        $weight *= 0.70;
        last if $mod > 12;
    }
    return (1 - $vector / $max);
}

sub values_for {
    my $name = shift;
    if ($hash) {
        my $v1 = namehash($name);
        my $v2 = namehash(scalar reverse $name);
        return ($v1, $v2, $v2);
    }
    srand(unpack('%32W*', $name));
    my $v = rand(1);
    return ($v, $v, $v);
}

sub color {
    my ($type, $name) = @_;
    my ($v1, $v2, $v3) = values_for($name);
    return "rgb(160,160,160)" if $name eq '--';
    return "rgb(200,200,200)" if $name eq '-';
    if ($type eq 'java') {
        if ($name =~ m:_\[j\]$:) { $type = 'green' }
        elsif ($name =~ m:_\[i\]$:) { $type = 'aqua' }
        elsif ($name =~ m:^L?(java|javax|jdk|net|org|com|io|sun)/:) { $type = 'green' }
        elsif ($name =~ /:::/) { $type = 'green' }
        elsif ($name =~ /::/) { $type = 'yellow' }
        elsif ($name =~ m:_\[k\]$:) { $type = 'orange' }
        else { $type = 'red' }
    } elsif ($type eq 'perl') {
        if ($name =~ /::/) { $type = 'yellow' }
        elsif ($name =~ m:Perl: or $name =~ m:\.pl:) { $type = 'green' }
        elsif ($name =~ m:_\[k\]$:) { $type = 'orange' }
        else { $type = 'red' }
    } elsif ($type eq 'js') {
        if ($name =~ m:_\[j\]$:) { $type = $name =~ m:/: ? 'green' : 'aqua' }
        elsif ($name =~ /::/) { $type = 'yellow' }
        elsif ($name =~ m:/.*\.js:) { $type = 'green' }
        elsif ($name =~ m/:/) { $type = 'aqua' }
        elsif ($name =~ m/^ $/) { $type = 'green' }
        elsif ($name =~ m:_\[k\]:) { $type = 'orange' }
        else { $type = 'red' }
    } elsif ($type eq 'wakeup') {
        $type = 'aqua';
    } elsif ($type eq 'chain') {
        $type = $name =~ m:_\[w\]: ? 'aqua' : 'blue';
    }
    my ($r, $g, $b);
    if ($type eq 'hot') { ($r, $g, $b) = (205 + int(50 * $v3), 0 + int(230 * $v1), 0 + int(55 * $v2)) }
    elsif ($type eq 'mem') { ($r, $g, $b) = (0, 190 + int(50 * $v2), 0 + int(210 * $v1)) }
    elsif ($type eq 'io') { $r = 80 + int(60 * $v1); $g = $r; $b = 190 + int(55 * $v2) }
    elsif ($type eq 'red') { $r = 200 + int(55 * $v1); $g = 50 + int(80 * $v1); $b = $g }
    elsif ($type eq 'green') { $g = 200 + int(55 * $v1); $r = 50 + int(60 * $v1); $b = $r }
    elsif ($type eq 'blue') { $b = 205 + int(50 * $v1); $r = 80 + int(60 * $v1); $g = $r }
    elsif ($type eq 'yellow') { $r = 175 + int(55 * $v1); $g = $r; $b = 50 + int(20 * $v1) }
    elsif ($type eq 'purple') { $r = 190 + int(65 * $v1); $g = 80 + int(60 * $v1); $b = $r }
    elsif ($type eq 'aqua') { $r = 50 + int(60 * $v1); $g = 165 + int(55 * $v1); $b = $g }
    elsif ($type eq 'orange') { $r = 190 + int(65 * $v1); $g = 90 + int(65 * $v1); $b = 0 }
    else { return "rgb(0,0,0)" }
    return "rgb($r,$g,$b)";
}

open(my $fh, '<:encoding(UTF-8)', $svg) or die "$svg: $!";
my ($n, $bad) = (0, 0);
while (my $line = <$fh>) {
    next unless $line =~ /^<g data-v="\d+"[^>]*><title>(.*)<\/title><rect [^>]*fill="(rgb\(\d+,\d+,\d+\))"/;
    my ($title, $fill) = ($1, $2);
    my $name = substr($title, 0, rindex($title, ' ('));
    $name =~ s/&lt;/</g; $name =~ s/&gt;/>/g; $name =~ s/&quot;/"/g; $name =~ s/&apos;/'/g;
    $name =~ s/&amp;/&/g;
    # the root is labelled "all" but flamegraph.pl colours its empty name
    my $want = color($palette, $n == 0 ? '' : $name);
    if ($want ne $fill) {
        print "$palette: \"$name\" is $fill, flamegraph.pl gives $want\n" if $bad++ < 5;
    }
    $n++;
}
print "no frames in $svg\n" unless $n;
exit($bad || !$n ? 1 : 0);
